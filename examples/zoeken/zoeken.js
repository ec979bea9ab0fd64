// Public search: the trusted document ZoekPagina by GET (cacheable by the browser and any proxy),
// forward cursor paging with a stack of cursors for "Vorige", and the API's errors made readable.

import { ApiFout, Register } from "../gedeeld/api.js";
import { element, toonFout, wisFout } from "../gedeeld/fouten.js";
import { koppelApiVeld } from "../gedeeld/instellingen.js";
import { SOORT } from "../gedeeld/woorden.js";

const $ = (id) => document.getElementById(id);
const staat = {
  register: null,
  zoekterm: "",
  per: 10,
  // The `after` cursor of each page visited; the register pages forward only, so going back is
  // going to a cursor we already had (null: the first page).
  cursors: [null],
  pagina: 0,
  volgende: null,  // endCursor of the page shown, when there is a next one
  bezig: false,
};

koppelApiVeld($("instellingen"), $("api"), (origin) => {
  staat.register = new Register(origin);
  staat.cursors = [null];  // cursors belong to the register that gave them
  staat.volgende = null;
  if (staat.zoekterm) laad(0, true);
});

$("zoeken").addEventListener("submit", (gebeurtenis) => {
  gebeurtenis.preventDefault();
  staat.zoekterm = $("zoekterm").value;
  staat.per = Number($("per").value);
  staat.cursors = [null];
  staat.pagina = 0;
  staat.volgende = null;
  laad(0, true);
});
$("volgende").addEventListener("click", () => {
  staat.cursors[staat.pagina + 1] = staat.volgende;
  laad(staat.pagina + 1);
});
$("vorige").addEventListener("click", () => laad(staat.pagina - 1));

/** Shows page `pagina` of the current search; the page shown changes only when it arrived. */
async function laad(pagina = staat.pagina, nieuw = false) {
  if (staat.bezig) return;
  staat.bezig = true;
  zetKnoppen();
  $("status").textContent = "Bezig met zoeken…";
  $("resultaten").setAttribute("aria-busy", "true");
  try {
    const { data } = await staat.register.vraag("ZoekPagina", {
      zoekterm: staat.zoekterm, first: staat.per, after: staat.cursors[pagina],
    });
    wisFout($("fout"));
    $("zoekterm").removeAttribute("aria-invalid");
    staat.pagina = pagina;
    toon(data.zoekLeraren);
  } catch (fout) {
    if (!(fout instanceof ApiFout)) throw fout;
    toonFout($("fout"), fout, staat.register.origin);
    $("status").textContent = "";
    if (fout.veld === "zoekterm") $("zoekterm").setAttribute("aria-invalid", "true");
    if (nieuw) {  // a new search failed: the old results would answer another question
      $("resultaten").replaceChildren();
      document.querySelector("nav.paginering").hidden = true;
    }
    if (fout.code === "RATE_LIMITED" || fout.code === "SERVICE_UNAVAILABLE") wachtMetZoeken(fout.retryAfter ?? 5);
  } finally {
    staat.bezig = false;
    $("resultaten").removeAttribute("aria-busy");
    zetKnoppen();
  }
}

function toon(verbinding) {
  const { totalCount, pageInfo, edges } = verbinding;
  const eerste = staat.pagina * staat.per + 1;
  const laatste = staat.pagina * staat.per + edges.length;
  staat.volgende = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  $("status").textContent = totalCount === 0
    ? `Geen leraren gevonden voor ‘${staat.zoekterm}’.`
    : `${totalCount} ${totalCount === 1 ? "leraar" : "leraren"} gevonden voor ‘${staat.zoekterm}’. ` +
      `Resultaten ${eerste}–${laatste} van ${totalCount}.`;
  $("resultaten").replaceChildren(...edges.map(({ node }) => leraar(node)));
  const paginas = Math.max(1, Math.ceil(totalCount / staat.per));
  $("bladzijde").textContent = `Pagina ${staat.pagina + 1} van ${paginas}`;
  document.querySelector("nav.paginering").hidden = totalCount <= staat.per;
}

function leraar(node) {
  const li = element("li", "", "leraar");
  li.dataset.registernummer = node.registernummer;
  li.append(element("h2", node.naam.weergavenaam),
            element("p", `Registernummer ${node.registernummer}`, "klein"));
  const lijst = element("ul", "", "bevoegdheden");
  lijst.setAttribute("aria-label", `Bevoegdheden van ${node.naam.weergavenaam}`);
  for (const b of node.bevoegdheden) {
    const regel = element("li", `${b.vak}, ${SOORT[b.soort] ?? b.soort} `);
    regel.append(b.voorHerregistratie
      ? element("span", "gekozen voor herregistratie", "label ja")
      : element("span", "niet gekozen voor herregistratie", "label nee"));
    lijst.append(regel);
  }
  li.append(lijst);
  return li;
}

function zetKnoppen() {
  $("vorige").disabled = staat.bezig || staat.pagina === 0;
  $("volgende").disabled = staat.bezig || !staat.volgende;
}

/** After a 429 (or 503): no new search before Retry-After has passed. */
function wachtMetZoeken(seconden) {
  const knop = $("zoekknop");
  knop.disabled = true;
  setTimeout(() => { knop.disabled = false; }, seconden * 1000);
}
