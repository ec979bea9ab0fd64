// The register's enum values and dates as Dutch readers know them.

export const SOORT = {
  PO: "po",
  EERSTEGRAADS: "eerstegraads",
  TWEEDEGRAADS: "tweedegraads",
  PDG: "pedagogisch-didactisch getuigschrift (mbo)",
};

export const REGISTRATIE = { GEREGISTREERD: "Geregistreerd", KLAARGEZET: "Klaargezet, nog niet bevestigd" };

export const HERREGISTRATIE = {
  OP_SCHEMA: "op schema", RISICO: "achter op schema", VOLDAAN: "voldaan", NIET_VOLDAAN: "niet voldaan",
};

export const WAARSCHUWING = {
  ACHTER_OP_SCHEMA: "Achter op schema",
  HERREGISTRATIE_ZES_MAANDEN: "Periode eindigt binnen zes maanden",
  HERREGISTRATIE_TWAALF_WEKEN: "Periode eindigt binnen twaalf weken",
  VOORPORTAALTERMIJN_VERLOOPT: "Voorportaaltermijn verloopt",
  AANTEKENING: "Aantekening",
  REGISTRATIE_NIET_BEVESTIGD: "Registratie niet bevestigd",
};

export const GEVOLG = { GEEN: "nog zonder gevolg", ALLEEN_ONDER_BEGELEIDING: "alleen lesgeven onder begeleiding" };

const DATUM = new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const TIJD = new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** "2027-01-15" -> "15 januari 2027" (a date without a time: read as UTC so no zone moves it a day). */
export function datum(iso) {
  return iso ? DATUM.format(new Date(`${iso}T00:00:00Z`)) : "";
}

/** A Date as the reader's clock time, "14:03:27". */
export function tijd(moment) {
  return TIJD.format(moment);
}
