// The "Instellingen" form both pages share: the API's origin, kept in the page's own address
// (?api=…) so that a reload or a shared link keeps it.

import { apiUitAdres, normaliseer } from "./api.js";
import { element } from "./fouten.js";

/** Fills the field with the current origin; calls `gebruik(origin)` now and whenever it changes. */
export function koppelApiVeld(formulier, veld, gebruik) {
  veld.value = apiUitAdres();
  formulier.addEventListener("submit", (gebeurtenis) => {
    gebeurtenis.preventDefault();
    formulier.querySelector(".veldfout")?.remove();
    let origin;
    try {
      origin = normaliseer(veld.value);
    } catch {
      const fout = element("p", "Vul een volledig adres in, zoals http://127.0.0.1:8000.", "klein veldfout");
      fout.id = `${veld.id}-fout`;
      veld.setAttribute("aria-describedby", fout.id);
      veld.setAttribute("aria-invalid", "true");
      formulier.append(fout);
      veld.focus();
      return;
    }
    veld.removeAttribute("aria-invalid");
    veld.value = origin;
    const adres = new URL(location.href);
    adres.searchParams.set("api", origin);
    history.replaceState(null, "", adres);
    gebruik(origin);
  });
  gebruik(veld.value);
}
