// One staff member as a table row of the dashboard (document BestuurPersoneel).

import { element } from "../gedeeld/fouten.js";
import { GEVOLG, HERREGISTRATIE, REGISTRATIE, SOORT, WAARSCHUWING, datum, tijd } from "../gedeeld/woorden.js";

/** The row for `node`; `gewijzigdOm` (a Date) marks a member whose data changed while watching. */
export function rij(node, gewijzigdOm) {
  const tr = document.createElement("tr");
  tr.dataset.registernummer = node.registernummer;
  const naam = element("th", "");
  naam.scope = "row";
  naam.append(element("span", node.naam.weergavenaam), element("p", node.registernummer, "klein"));
  if (gewijzigdOm) {
    tr.classList.add("gewijzigd");
    naam.append(element("span", `gewijzigd om ${tijd(gewijzigdOm)}`, "label nieuw"));
  }
  tr.append(
    naam,
    cel(element("span", REGISTRATIE[node.registratie.status] ?? node.registratie.status,
                node.registratie.status === "GEREGISTREERD" ? "label ja" : "label let-op")),
    cel(lijst(node.bevoegdheden.map(bevoegdheid))),
    cel(lijst(node.waarschuwingen.map(waarschuwing), "Geen")),
    cel(lijst(node.bevoegdheden.filter((b) => b.aantekening).map(aantekening), "Geen")),
    cel(lijst(node.voorportaal.map(voorportaal), "—")),
  );
  return tr;
}

function bevoegdheid(b) {
  const li = element("li", `${b.vak}, ${SOORT[b.soort] ?? b.soort}`);
  if (b.herregistratie) {
    const { status, periodeEinde } = b.herregistratie;
    li.append(element("br"), element("span", HERREGISTRATIE[status] ?? status,
                                     status === "RISICO" || status === "NIET_VOLDAAN" ? "label let-op" : "label ja"),
              element("span", ` periode tot en met ${datum(periodeEinde)}`, "klein"));
  } else {
    li.append(element("br"), element("span", "niet voor herregistratie", "klein"));
  }
  return li;
}

function waarschuwing(w) {
  const li = element("li", "");
  li.dataset.soort = w.soort;
  li.append(element("span", WAARSCHUWING[w.soort] ?? w.soort, "label let-op"),
            element("p", `${w.bericht} (sinds ${datum(w.datum)})`, "klein"));
  return li;
}

function aantekening(b) {
  const a = b.aantekening;
  const li = element("li", `${b.vak}: geplaatst op ${datum(a.geplaatstOp)}`);
  li.append(element("br"), element("span", GEVOLG[a.gevolg] ?? a.gevolg,
                                   a.gevolg === "GEEN" ? "label let-op" : "label fout"));
  return li;
}

function voorportaal(v) {
  // A closed entry (the bevoegdheid arrived) stays in the list; its term no longer runs.
  const li = element("li", v.afgesloten ? `${v.vak}: ` : `${v.vak}: termijn tot en met ${datum(v.termijnEinde)}`);
  li.dataset.vak = v.vak;
  if (v.afgesloten) {
    li.dataset.afgesloten = "";
    li.append(element("span", "afgesloten, nu bevoegd", "label ja"));
  } else if (v.verlengd) {
    li.append(element("span", " (verlengd)", "klein"));
  }
  return li;
}

function lijst(items, leeg = "") {
  if (items.length === 0) return element("span", leeg, "klein");
  const ul = document.createElement("ul");
  ul.append(...items);
  return ul;
}

function cel(inhoud) {
  const td = document.createElement("td");
  td.append(inhoud);
  return td;
}
