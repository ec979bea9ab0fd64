// A school board's staff dashboard that polls cheaply: every N seconds it asks again for the page it
// shows (BestuurPersoneel) and for everyone changed since it opened (BestuurWijzigingen), both by GET
// with fetch's cache mode "no-cache". The browser then sends its own If-None-Match with the ETag it
// kept, and while nothing the board may see changed the register answers 304 without running the
// operation; fetch hands the page the kept answer, with the same ETag, so the page knows nothing changed.

import { ApiFout, Register } from "../gedeeld/api.js";
import { element, toonFout, wisFout } from "../gedeeld/fouten.js";
import { koppelApiVeld } from "../gedeeld/instellingen.js";
import { REGISTRATIE, WAARSCHUWING, tijd } from "../gedeeld/woorden.js";
import { rij } from "./rij.js";

const PER_PAGINA = 50;
const MAX_GEWIJZIGD = 100;
const STOPT = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "PERSISTED_QUERY_NOT_FOUND",
                       "TRUSTED_DOCUMENT_REQUIRED"]);  // polling again cannot help: the reader must act
const $ = (id) => document.getElementById(id);

const staat = {
  register: null,
  token: null,       // only in memory: a reload asks for it again
  sinds: null,       // ISO time the dashboard started watching: the register's clock (its first answer's Date)
  cursors: [null],   // the `after` of each page visited (paging is forward only)
  pagina: 0,
  volgende: null,
  view: 0,           // bumped when filter, page or token change: an older answer is then dropped
  vorige: null,      // { etag, rijen: Map registernummer -> JSON } of the view shown
  gewijzigdOm: new Map(),
  geladenOm: null,
  laatstGewijzigd: null,
  timer: null,
  bezig: null,       // the view a request is out for
};

// ?interval=N sets the polling interval in seconds, so that a link can carry it.
const gevraagdInterval = Number(new URL(location.href).searchParams.get("interval"));
if (gevraagdInterval >= 1) $("interval").value = String(gevraagdInterval);

koppelApiVeld($("instellingen"), $("api"), (origin) => {
  staat.register = new Register(origin);
  if (staat.token) begin();
});

$("aanmelden").addEventListener("submit", (gebeurtenis) => {
  gebeurtenis.preventDefault();
  staat.token = tokenUit($("token").value);
  begin();
});
$("met-waarschuwing").addEventListener("change", () => nieuweWeergave(0));
$("registratie").addEventListener("change", () => nieuweWeergave(0));
$("interval").addEventListener("change", () => plan());
$("volgende").addEventListener("click", () => {
  staat.cursors[staat.pagina + 1] = staat.volgende;
  nieuweWeergave(staat.pagina + 1);
});
$("vorige").addEventListener("click", () => nieuweWeergave(staat.pagina - 1));
// A hidden tab does not poll; it asks at once when it is shown again.
document.addEventListener("visibilitychange", () => { if (!document.hidden && staat.token) ververs(); });

/** Accepts a bare token, "Bearer …", or make demo's whole `export LR_BESTUUR=…` line. */
function tokenUit(tekst) {
  const jwt = /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(tekst);
  return jwt ? jwt[0] : tekst.trim();
}

function begin() {
  staat.sinds = null;  // set from the register's first answer: this computer's clock may be off
  staat.gewijzigdOm.clear();
  staat.laatstGewijzigd = null;
  staat.cursors = [null];
  nieuweWeergave(0);
}

function nieuweWeergave(pagina) {
  staat.view += 1;
  staat.pagina = pagina;
  staat.vorige = null;
  ververs();
}

function plan(seconden = Number($("interval").value) || 30) {
  clearTimeout(staat.timer);
  staat.timer = setTimeout(() => { if (!document.hidden) ververs(); }, Math.max(1, seconden) * 1000);
}

async function ververs() {
  clearTimeout(staat.timer);
  const view = staat.view;
  if (staat.bezig === view) return;  // this view is being asked for already
  staat.bezig = view;
  const opties = { token: staat.token, cache: "no-cache" };
  const filter = {};
  if ($("met-waarschuwing").checked) filter.metWaarschuwing = true;
  if ($("registratie").value) filter.registratiestatus = $("registratie").value;
  try {
    const personeel = await staat.register.vraag("BestuurPersoneel", {
      filter, first: PER_PAGINA, after: staat.cursors[staat.pagina],
    }, opties);
    // Date has whole seconds: a change in the second before the first answer may show as changed.
    staat.sinds ??= (personeel.datum ?? new Date()).toISOString();
    const wijzigingen = await staat.register.vraag("BestuurWijzigingen", {
      sinds: staat.sinds, first: MAX_GEWIJZIGD,
    }, opties);
    if (view !== staat.view) return;  // the reader changed the view meanwhile; that one is asked
    wisFout($("fout"));
    toonPersoneel(personeel);
    toonWijzigingen(wijzigingen.data.mijnSchoolbestuur.medewerkers);
    plan();
  } catch (fout) {
    if (!(fout instanceof ApiFout) || view !== staat.view) throw fout;
    toonFout($("fout"), fout, staat.register.origin);
    if (STOPT.has(fout.code)) {
      staat.token = null;  // nothing is asked again until a token is given again
      $("keuzes").disabled = true;
      $("verversing").textContent = "Verversen gestopt.";
    } else {
      plan(fout.retryAfter ?? undefined);  // rate limit or unavailable: after Retry-After; else as usual
    }
  } finally {
    if (staat.bezig === view) staat.bezig = null;
  }
}

function toonPersoneel({ data, etag }) {
  const bestuur = data.mijnSchoolbestuur;
  const { totalCount, pageInfo, edges } = bestuur.medewerkers;
  const nu = new Date();
  const rijen = new Map(edges.map(({ node }) => [node.registernummer, JSON.stringify(node)]));
  // The first answer of a view is the baseline; after that, an answer with the ETag we had is the
  // register's 304: nothing changed, nothing to compare.
  if (staat.vorige && !(etag && etag === staat.vorige.etag)) {
    const gewijzigd = [...rijen].filter(([nr, json]) => staat.vorige.rijen.get(nr) !== json).map(([nr]) => nr);
    const weg = [...staat.vorige.rijen.keys()].filter((nr) => !rijen.has(nr));
    for (const nr of gewijzigd) staat.gewijzigdOm.set(nr, nu);
    if (gewijzigd.length || weg.length) {
      staat.laatstGewijzigd = nu;
      const namen = edges.filter(({ node }) => gewijzigd.includes(node.registernummer))
        .map(({ node }) => node.naam.weergavenaam);
      $("status").textContent = [
        namen.length ? `Gewijzigd: ${namen.join(", ")}.` : "",
        weg.length ? `${weg.length} ${weg.length === 1 ? "medewerker staat" : "medewerkers staan"} niet meer in deze lijst.` : "",
      ].join(" ").trim();
    }
  } else if (!staat.vorige) {
    staat.geladenOm = nu;
    $("status").textContent = `${totalCount} ${totalCount === 1 ? "medewerker" : "medewerkers"} getoond.`;
  }
  staat.vorige = { etag, rijen };
  staat.volgende = pageInfo.hasNextPage ? pageInfo.endCursor : null;

  $("bestuur").textContent = `${bestuur.naam} (bevoegd gezag ${bestuur.bevoegdGezagNummer})`;
  $("keuzes").disabled = false;
  $("bijschrift").textContent = $("met-waarschuwing").checked
    ? `Medewerkers met een waarschuwing: ${totalCount}` : `Medewerkers: ${totalCount}`;
  $("personeel").querySelector("tbody").replaceChildren(
    ...edges.map(({ node }) => rij(node, staat.gewijzigdOm.get(node.registernummer))));
  $("personeel").hidden = false;
  const eerste = staat.pagina * PER_PAGINA + 1;
  $("bladzijde").textContent = `${eerste}–${staat.pagina * PER_PAGINA + edges.length} van ${totalCount}`;
  document.querySelector("nav.paginering").hidden = totalCount <= PER_PAGINA;
  $("vorige").disabled = staat.pagina === 0;
  $("volgende").disabled = !staat.volgende;
  $("verversing").textContent = `Bijgewerkt om ${tijd(nu)}, elke ${Number($("interval").value) || 30} seconden. ` +
    (staat.laatstGewijzigd ? `Laatst gewijzigd om ${tijd(staat.laatstGewijzigd)}.`
                           : `Ongewijzigd sinds het laden om ${tijd(staat.geladenOm)}.`);
}

function toonWijzigingen({ totalCount, edges }) {
  $("wijzigingen-kop").textContent = `Gewijzigd sinds ${tijd(new Date(staat.sinds))}`;
  const items = edges.map(({ node }) => {
    const soorten = node.waarschuwingen.map((w) => WAARSCHUWING[w.soort] ?? w.soort);
    const li = element("li", `${node.naam.weergavenaam} (${node.registernummer}): ` +
      `${REGISTRATIE[node.registratie.status] ?? node.registratie.status}; ` +
      (soorten.length ? `waarschuwingen: ${soorten.join(", ")}` : "geen waarschuwingen"));
    li.dataset.registernummer = node.registernummer;
    return li;
  });
  if (totalCount > edges.length) items.push(element("li", `en nog ${totalCount - edges.length} anderen`));
  $("gewijzigd").replaceChildren(...(items.length ? items : [element("li", "Nog geen wijzigingen.")]));
  $("wijzigingen").hidden = false;
}
