import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '@/env';
import { smsCodesMayBeLogged, unconfiguredSmsSender } from '@/lib/sms/sender';

// Production never writes sign-in codes to the log by accident: without SMS_GATEWAY_URL every
// process (launcher, web server, worker: all call loadEnv) refuses to start unless
// SMS_LOG_CODES=true says so explicitly.

const secret = 'x'.repeat(48);

function refusal(source: Record<string, string>): EnvError {
  try {
    loadEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return err as EnvError;
  }
  throw new Error('expected loadEnv to refuse');
}

describe('loadEnv and SMS delivery', () => {
  it('refuses production without SMS_GATEWAY_URL, naming both variables', () => {
    const err = refusal({ NODE_ENV: 'production', NEXTAUTH_SECRET: secret });
    expect(err.message).toContain('SMS_GATEWAY_URL');
    expect(err.message).toContain('SMS_LOG_CODES=true');
    expect(refusal({ NODE_ENV: 'production', NEXTAUTH_SECRET: secret, SMS_LOG_CODES: 'false' }).message).toContain(
      'SMS_GATEWAY_URL',
    );
    // The launcher reads its configuration without the session secret: it refuses too.
    expect(() => loadEnv({ NODE_ENV: 'production' }, { requireSecret: false })).toThrow(/SMS_GATEWAY_URL/);
  });

  it('starts in production with a gateway, or with SMS_LOG_CODES=true for a demo', () => {
    const gw = loadEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: secret, SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms' });
    expect(gw.SMS_LOG_CODES).toBe(false);
    expect(smsCodesMayBeLogged(gw)).toBe(false);
    const demo = loadEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: secret, SMS_LOG_CODES: 'true' });
    expect(demo.SMS_LOG_CODES).toBe(true);
    expect(smsCodesMayBeLogged(demo)).toBe(true);
  });

  it('never blocks `next build`, development or tests; codes are logged in development only by default', () => {
    expect(loadEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' }).SMS_LOG_CODES).toBe(false);
    expect(smsCodesMayBeLogged(loadEnv({ NODE_ENV: 'development' }))).toBe(true);
    expect(smsCodesMayBeLogged(loadEnv({ NODE_ENV: 'test' }))).toBe(false);
    expect(() => loadEnv({ SMS_LOG_CODES: 'maybe' })).toThrow(/SMS_LOG_CODES/);
  });

  it('without a gateway or permission to log, sending fails with a 503', async () => {
    await expect(unconfiguredSmsSender.send('+79990000000', 'Your SkyPost code is 482913.')).rejects.toMatchObject({
      code: 'service_unavailable',
      status: 503,
    });
  });
});
