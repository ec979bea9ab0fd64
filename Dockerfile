# The register as a container image: two stages, the second without compilers or pip caches, run
# as an unprivileged user. Dependencies come from the lock file (requirements.lock, hashes checked),
# the package itself without resolving anything further. Not built by the tests (the machine that
# runs them has no Docker engine); see README, "A topology you can start".
#
#   docker build -t lerarenregister .
#   docker run -p 8000:8000 -e REGISTER_DATABASE_URL=postgresql://... -e REGISTER_DATABASE_READ_URL=... \
#     -e REGISTER_OIDC_ISSUER=... -e REGISTER_OIDC_AUDIENCE=... -e REGISTER_OIDC_JWKS=https://... \
#     -e REGISTER_SECRET_KEY=... lerarenregister
#
# `serve` runs the migrations before it listens; with several replicas of the container, run
# `lerarenregister migrate` once as a deploy step instead (README, Configuration).

FROM python:3.11-slim-bookworm AS bouw
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/register
WORKDIR /src
# The lock first: this layer stays cached while only the code changes.
COPY requirements.lock ./
RUN /opt/register/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY lerarenregister ./lerarenregister
RUN /opt/register/bin/pip install --no-deps --no-build-isolation . \
 && /opt/register/bin/python -m compileall -q /opt/register

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 register \
 && useradd --system --uid 10001 --gid register --home-dir /srv/register --create-home register
COPY --from=bouw /opt/register /opt/register
ENV PATH=/opt/register/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/register
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
# 0.0.0.0: inside the container; publish the port only to the proxy in front of it.
CMD ["lerarenregister", "serve", "--host", "0.0.0.0", "--port", "8000"]
