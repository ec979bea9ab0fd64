// PostGraphile v5 over the bench database: the Amber preset, our tables and bench_pg's functions.
// Started by bench/harness.py as: node .node/node_modules/postgraphile/dist/cli-run.js -C this file
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { jsonPgSmartTags } from "postgraphile/utils";

export default {
  extends: [PostGraphileAmberPreset],
  plugins: [
    // "bevoegdheid" pluralises badly in English; name the relation as our schema does.
    jsonPgSmartTags({
      version: 1,
      config: {
        class: {
          bevoegdheid: {
            constraint: { fk_bevoegdheid_leraar_id_leraar: { tags: { foreignFieldName: "bevoegdheden" } } },
            // ours lists bevoegdheden by vak, soort; v5 orders only by indexed columns unless told
            attribute: { vak: { tags: { behavior: "+orderBy" } }, soort: { tags: { behavior: "+orderBy" } } },
          },
          leraar: {
            attribute: { sorteernaam: { tags: { behavior: "+orderBy" } }, registernummer: { tags: { behavior: "+orderBy" } } },
          },
        },
        // Two schemas prefix function fields with the schema's name; ours are plain.
        procedure: {
          zoek_leraren: { tags: { name: "zoek_leraren", behavior: "+order" } },
          openbare_leraar: { tags: { name: "openbare_leraar" } },
          normaliseer: { tags: { behavior: "-*" } },
        },
      },
    }),
  ],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public", "bench_pg"],
      // the same ceiling as our server's pool (10 + 10 overflow)
      poolConfig: { max: 20 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT || 8103),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};
