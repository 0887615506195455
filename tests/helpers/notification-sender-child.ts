// A push sender in its own process, for the crash test (tests/notifications-sender.test.ts):
//   node --import tsx tests/helpers/notification-sender-child.ts \
//     <databaseUrl> <sentFile> <killAt> <before-send|after-send> [concurrency] [now]
// Its fake channel appends one JSON line per message it "sends" to <sentFile> and SIGKILLs its
// own process at the <killAt>th send: before the message goes out, or after it went out but
// before its result is written. [now] (ISO time) fixes the sender's clock, so a test can run
// it again once a killed attempt's lease has ended.
import { appendFileSync } from 'node:fs';
import postgres from 'postgres';
import { createDb } from '@/db';
import type { PushChannel } from '@/lib/notifications/fcm';
import { drainNotifications } from '@/lib/notifications/sender';

// The test waits until no connection of this name is left (the kill's rollback is done).
const APPLICATION_NAME = 'skypost-notify-child';

const [databaseUrl, sentFile, killAtArg, mode, concurrencyArg, nowArg] = process.argv.slice(2);
if (!databaseUrl || !sentFile || !killAtArg || (mode !== 'before-send' && mode !== 'after-send')) {
  console.error(
    'usage: notification-sender-child.ts <databaseUrl> <sentFile> <killAt> ' +
      '<before-send|after-send> [concurrency] [now]',
  );
  process.exit(2);
}
const killAt = Number(killAtArg);

const die = (): Promise<never> => {
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
};

let sends = 0;
const channel: PushChannel = {
  async send(message) {
    sends++;
    if (sends === killAt && mode === 'before-send') await die();
    const line = {
      id: message.data?.notification_id,
      tag: message.android?.notification?.tag,
      collapseId: message.apns?.headers?.['apns-collapse-id'],
      by: 'child',
    };
    appendFileSync(sentFile, `${JSON.stringify(line)}\n`);
    if (sends === killAt && mode === 'after-send') await die();
    await new Promise((r) => setTimeout(r, 2));
    return { successCount: message.tokens.length, responses: message.tokens.map(() => ({ success: true })) };
  },
};

const sql = postgres(databaseUrl, { max: 4, onnotice: () => {}, connection: { application_name: APPLICATION_NAME } });
await drainNotifications(createDb(sql), channel, {
  concurrency: Number(concurrencyArg ?? 1),
  now: nowArg ? new Date(nowArg) : undefined,
});
await sql.end({ timeout: 5 });
