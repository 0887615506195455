import { env, type Env } from '@/env';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';

// SMS goes through this interface. The HTTP sender POSTs {to, text} as JSON to
// SMS_GATEWAY_URL. Without a gateway the log sender writes the message, code included, to the
// server log, but only where that is allowed: development, or SMS_LOG_CODES=true for a demo.

export type SmsSender = { send(to: string, text: string): Promise<void> };

export const logSmsSender: SmsSender = {
  async send(to, text) {
    logger.info('SMS (log sender: SMS_LOG_CODES or development; set SMS_GATEWAY_URL to deliver for real)', {
      scope: 'sms',
      to,
      text,
    });
  },
};

export function httpSmsSender(url: string, token?: string, timeoutMs = 5000): SmsSender {
  return {
    async send(to, text) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to, text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        logger.error('SMS gateway unreachable', { scope: 'sms', err });
        throw new AppError(
          'service_unavailable',
          'We could not send the SMS right now. Please try again in a minute.',
          { headers: { 'Retry-After': '30' } },
        );
      }
      if (!res.ok) {
        logger.error('SMS gateway refused the message', { scope: 'sms', status: res.status });
        throw new AppError(
          'service_unavailable',
          'We could not send the SMS right now. Please try again in a minute.',
          { headers: { 'Retry-After': '30' } },
        );
      }
    },
  };
}

/** With nowhere to deliver and no permission to log, a code is never written anywhere. */
export const unconfiguredSmsSender: SmsSender = {
  async send() {
    logger.error('SMS not sent: set SMS_GATEWAY_URL (or SMS_LOG_CODES=true for a demo)', { scope: 'sms' });
    throw new AppError('service_unavailable', 'Sign-in by SMS is not available right now.', {
      headers: {
        'Retry-After': '30',
      },
    });
  },
};

/** Whether a sign-in code may be written to the server log. */
export function smsCodesMayBeLogged(e: Pick<Env, 'NODE_ENV' | 'SMS_LOG_CODES'>): boolean {
  return e.NODE_ENV === 'development' || e.SMS_LOG_CODES;
}

export function configuredSmsSender(): SmsSender {
  const e = env();
  if (e.SMS_GATEWAY_URL) return httpSmsSender(e.SMS_GATEWAY_URL, e.SMS_GATEWAY_TOKEN);
  return smsCodesMayBeLogged(e) ? logSmsSender : unconfiguredSmsSender;
}
