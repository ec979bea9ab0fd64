// The GraphQL-over-HTTP spec's reference audit (graphql-http's serverAudits) against one server:
//   node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line: [{id, name, status, reason}] for every audit, run one after another.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const uitkomsten = [];
for (const audit of serverAudits({ url })) {
  const r = await audit.fn();
  uitkomsten.push({ id: r.id, name: r.name, status: r.status, reason: r.status === 'ok' ? null : r.reason });
}
console.log(JSON.stringify(uitkomsten));
