// The register's errors as a person would want to read them: what happened and what to do, in
// Dutch, with the API's own words and the request id beside it for whoever handles a complaint.

// Per input field of BAD_USER_INPUT (extensions.field): the rule the register applies (API.md).
const VELDEN = {
  zoekterm: "Vul een achternaam of registernummer in: hoogstens 100 tekens, zonder stuur- of richtingstekens.",
  after: "Deze pagina van de resultaten bestaat niet (meer). Begin opnieuw bij de eerste pagina.",
  first: "Er kunnen hoogstens 50 resultaten per pagina getoond worden (100 voor medewerkers).",
  sinds: "Het tijdstip voor de wijzigingen is ongeldig.",
};

const LEGE_REGISTER = "Het register gaf een antwoord dat deze pagina niet kent";

/** { titel, uitleg, details } for an ApiFout; `api` is the origin the page talks to. */
export function leesbaar(fout, api) {
  const wacht = fout.retryAfter ? seconden(fout.retryAfter) : "even";
  const uitleg = {
    NETWERK: [
      "Het register is niet bereikbaar",
      `Er kwam geen antwoord van ${api}. Staat het register aan (make demo), klopt het adres onder ` +
      "‘Instellingen’, en mag deze pagina het register gebruiken (REGISTER_CORS_ORIGINS)?"],
    RATE_LIMITED: [
      "Te veel verzoeken achter elkaar",
      `U heeft in korte tijd te veel verzoeken gedaan. Probeer het over ${wacht} opnieuw.`],
    BAD_USER_INPUT: [
      "Deze invoer kan het register niet gebruiken",
      VELDEN[veldnaam(fout.veld)] ?? "Een van de ingevulde waarden is niet geldig."],
    UNAUTHENTICATED: [
      "Het token is ongeldig of verlopen",
      "Plak een nieuw token. In demomodus drukt make demo er een af per rol; " +
      "lerarenregister token --rol schoolbestuur --bevoegd-gezag 41207 maakt er een."],
    FORBIDDEN: [
      "Geen toegang",
      "Dit token geeft geen toegang tot deze gegevens. Het personeelsoverzicht vraagt een token van een schoolbestuur."],
    NOT_FOUND: [
      "Niet gevonden",
      "Het schoolbestuur van dit token staat niet in het register."],
    SERVICE_UNAVAILABLE: [
      "Het register is tijdelijk niet beschikbaar",
      `Probeer het over ${wacht} opnieuw.`],
    TIMEOUT: [
      "Het register deed er te lang over",
      "Probeer het opnieuw, of vraag minder tegelijk (minder resultaten per pagina)."],
    QUERY_TOO_COMPLEX: ["Deze vraag is te groot", "Kies minder resultaten per pagina."],
    QUERY_TOO_DEEP: ["Deze vraag is te groot", "Het register weigert vragen die zo diep gaan."],
    PAYLOAD_TOO_LARGE: ["Deze vraag is te groot", "Het verzoek is groter dan het register aanneemt."],
    PERSISTED_QUERY_NOT_FOUND: [
      "Deze pagina is ouder dan het register",
      "Het register kent de vraag van deze pagina niet (meer). Laad de pagina opnieuw."],
    TRUSTED_DOCUMENT_REQUIRED: [
      "Deze vraag is niet toegestaan",
      "Het register neemt alleen zijn eigen, vertrouwde vragen aan."],
    INTERNAL_SERVER_ERROR: [
      "Er ging iets mis in het register",
      "Dat ligt niet aan u. Geef bij een melding het kenmerk hieronder door."],
  }[fout.code] ?? [LEGE_REGISTER, `Foutcode ${fout.code}${fout.status ? `, HTTP ${fout.status}` : ""}.`];

  const details = [];
  if (fout.message && fout.message !== fout.code && fout.code !== "NETWERK") {
    details.push(`Melding van het register: ${fout.message}`);
  }
  if (fout.correlationId) details.push(`Kenmerk: ${fout.correlationId}`);
  if (fout.requestId) details.push(`Verzoek: ${fout.requestId}`);
  return { titel: uitleg[0], uitleg: uitleg[1], details };
}

/** Renders a readable error into `doel` (a role="alert" region, so it is announced). */
export function toonFout(doel, fout, api) {
  const { titel, uitleg, details } = leesbaar(fout, api);
  doel.replaceChildren(
    element("h2", titel), element("p", uitleg),
    ...details.map((d) => element("p", d, "klein")));
  doel.dataset.code = fout.code;
  doel.hidden = false;
}

export function wisFout(doel) {
  doel.replaceChildren();
  delete doel.dataset.code;
  doel.hidden = true;
}

export function element(naam, tekst = "", klasse = "") {
  const e = document.createElement(naam);
  e.textContent = tekst;
  if (klasse) e.className = klasse;
  return e;
}

function veldnaam(pad) {
  // "leveringen[3].bsn" -> "bsn"; "zoekterm" stays.
  return pad ? String(pad).split(".").pop().replace(/\[\d+\]$/, "") : "";
}

function seconden(n) {
  return n === 1 ? "1 seconde" : `${n} seconden`;
}
