// The register as both example pages speak to it: where it is, its trusted documents by id, GET
// requests, and its errors as one value the pages can explain (fouten.js).

export const STANDAARD_API = "http://127.0.0.1:8000";

/** The API's origin: ?api=… on the page's own address, else the demo server's. */
export function apiUitAdres(adres = location.href) {
  const gevraagd = new URL(adres).searchParams.get("api");
  return normaliseer(gevraagd || STANDAARD_API);
}

/** An http(s) origin without a trailing slash; anything else throws, so a typo is named at once. */
export function normaliseer(tekst) {
  const url = new URL(tekst.trim());
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`geen http- of https-adres: ${tekst}`);
  }
  return url.origin;
}

/** A failed request: the API's code (or one of ours: NETWERK, ONBEKEND_ANTWOORD) and what came with it. */
export class ApiFout extends Error {
  constructor(code, { status = 0, bericht = "", veld = null, retryAfter = null, requestId = null,
                      correlationId = null } = {}) {
    super(bericht || code);
    this.code = code;
    this.status = status;
    this.veld = veld;               // extensions.field: a path into the input, e.g. "zoekterm"
    this.retryAfter = retryAfter;   // seconds, from Retry-After (429, 503)
    this.requestId = requestId;     // X-Request-ID: what the register's log knows this request by
    this.correlationId = correlationId;
  }
}

export class Register {
  constructor(origin) {
    this.origin = origin;
    this.ids = null;  // operation name -> "sha256:…", from GET /documenten.json
  }

  /**
   * The trusted document's id by its operation name. A bundled client would embed the ids at build
   * time; these pages have no build step, so they read the register's own list once.
   */
  async documentId(naam, opnieuw = false) {
    if (!this.ids || opnieuw) {
      const antwoord = await this.#haal(`${this.origin}/documenten.json`, {});
      if (!antwoord.ok) throw new ApiFout("ONBEKEND_ANTWOORD", { status: antwoord.status });
      const lijst = await antwoord.json();
      this.ids = new Map();
      for (const [id, tekst] of Object.entries(lijst)) {
        const kop = /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(tekst);
        if (kop) this.ids.set(kop[1], id);
      }
    }
    const id = this.ids.get(naam);
    if (!id) throw new ApiFout("PERSISTED_QUERY_NOT_FOUND", { bericht: `geen document ${naam}` });
    return id;
  }

  /**
   * Runs a trusted query by GET (so that the browser's cache and the register's ETag apply) and
   * returns { data, etag, datum, requestId }; `datum` is the register's clock (its Date header, a
   * Date; null when a proxy dropped it). `cache` is fetch's cache mode: a poll passes "no-cache", so
   * that the browser revalidates with its own If-None-Match and a 304 costs the register nothing.
   * Throws ApiFout for any error the page should explain.
   */
  async vraag(naam, variabelen, { token = null, cache = "default" } = {}) {
    for (const opnieuw of [false, true]) {
      const url = new URL(`${this.origin}/graphql`);
      url.searchParams.set("documentId", await this.documentId(naam, opnieuw));
      url.searchParams.set("variables", JSON.stringify(variabelen));
      const koppen = { Accept: "application/json" };
      if (token) koppen.Authorization = `Bearer ${token}`;
      try {
        return await this.#lees(await this.#haal(url, { headers: koppen, cache }));
      } catch (fout) {
        // The register was upgraded while the page was open: read its list again, once.
        if (!(fout instanceof ApiFout && fout.code === "PERSISTED_QUERY_NOT_FOUND") || opnieuw) throw fout;
      }
    }
  }

  async #haal(url, opties) {
    try {
      return await fetch(url, { ...opties, credentials: "omit" });
    } catch (oorzaak) {
      // Down, unreachable, or CORS refused (REGISTER_CORS_ORIGINS): fetch cannot tell these apart.
      throw new ApiFout("NETWERK", { bericht: String(oorzaak) });
    }
  }

  async #lees(antwoord) {
    const requestId = antwoord.headers.get("X-Request-ID");
    const retry = Number.parseInt(antwoord.headers.get("Retry-After") ?? "", 10);
    let body = null;
    try {
      body = await antwoord.json();
    } catch {
      throw new ApiFout("ONBEKEND_ANTWOORD", { status: antwoord.status, requestId });
    }
    const eerste = body?.errors?.[0];
    if (eerste || !antwoord.ok || !body?.data) {
      const ext = eerste?.extensions ?? {};
      throw new ApiFout(ext.code ?? "ONBEKEND_ANTWOORD", {
        status: antwoord.status, bericht: eerste?.message ?? "", veld: ext.field ?? null,
        retryAfter: Number.isFinite(retry) ? retry : null, requestId,
        correlationId: ext.correlationId ?? null,
      });
    }
    const datum = new Date(antwoord.headers.get("Date") ?? "");
    return {
      data: body.data, etag: antwoord.headers.get("ETag"), requestId,
      datum: Number.isNaN(datum.getTime()) ? null : datum,
    };
  }
}
