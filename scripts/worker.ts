// npm run worker — one order worker process (the launcher runs WORKERS of them). SIGTERM: finish the round, exit.
import './lib/dotenv';
import { env } from '@/env';
import { logger } from '@/lib/logger';
import { startWorker } from '@/worker/loop';
import { openDatabase } from './lib/database';

const log = logger.child({ scope: `worker:${process.pid}` });
const e = env();
const database = await openDatabase(log);
const worker = startWorker({
  databaseUrl: database.url,
  log,
  sweepMs: e.WORKER_SWEEP_MS,
  minBattery: e.DISPATCH_MIN_BATTERY,
  offlineAfterMs: e.DRONE_OFFLINE_TIMEOUT_S * 1000,
  assignedTimeoutMs: e.DISPATCH_ASSIGNED_TIMEOUT_S * 1000,
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}; finishing the current round`);
    void worker.stop().then(async () => {
      await database.stop();
      process.exit(0);
    });
  });
}
await worker.done;
