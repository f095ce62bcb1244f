// One instance per core (or WORKERS of them) sharing one port through node:cluster: the built
// service runs unchanged in each worker. Configure it as for `npm run start:prod`; on SQLite every
// worker opens the same file (WAL mode), on PostgreSQL the same database.
//   WORKERS=2 PORT=8000 DATABASE_URL=postgres://… SECRET_KEY=… node bench/cluster.mjs
import cluster from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const workers = Number(process.env.WORKERS ?? os.availableParallelism());
if (cluster.isPrimary) {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('../dist/server.js', import.meta.url)) });
  // One worker first, so that migrations and demo data are done once; then the others.
  cluster.fork().once('listening', () => {
    for (let i = 1; i < workers; i += 1) cluster.fork();
  });
  cluster.on('exit', (worker, code, signal) => {
    if (signal !== 'SIGTERM' && code !== 0) console.error(`worker ${worker.process.pid} exited with ${code ?? signal}`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    });
  }
}
