/**
 * `npm run cluster`: a Temporal cluster on PostgreSQL, on this machine, until Ctrl-C
 * (platform/temporal/cluster.ts; docs/cluster.md). Needs Go and a PostgreSQL account that may create
 * databases:
 *
 *   TEMPORAL_CLUSTER_DATABASE_URL=postgres://temporal:secret@127.0.0.1:5432 npm run cluster
 *
 * Options: --port 7233 (the frontend; the services use the ports above it), --database temporal,
 * --dir data/cluster.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../platform/project.js';
import { startCluster } from '../platform/temporal/cluster.js';
import { temporalConfig } from '../temporal.config.js';
import { searchAttributes } from '../workflows/search-attributes.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7233' },
    database: { type: 'string', default: 'temporal' },
    dir: { type: 'string', default: join(projectRoot, 'data', 'cluster') },
  },
});
const databaseUrl = process.env.TEMPORAL_CLUSTER_DATABASE_URL;
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  console.error(
    'npm run cluster needs TEMPORAL_CLUSTER_DATABASE_URL: postgres://user:password@host:port of an account that may create databases',
  );
  process.exit(2);
}
const namespace = temporalConfig().namespace;
const cluster = await startCluster({
  databaseUrl,
  database: values.database,
  port: Number(values.port),
  dir: values.dir,
  namespace,
  searchAttributes,
  log: console.log,
});
console.log(`cluster: ready at ${cluster.address}, namespace ${namespace}; logs in ${values.dir}/logs`);
console.log(
  `  TEMPORAL_ADDRESS=${cluster.address} TEMPORAL_NAMESPACE=${namespace} npm run worker   (and npm run api)`,
);
console.log('Press Ctrl-C to stop.');
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the cluster`);
    void cluster.stop().then(() => process.exit(0));
  });
