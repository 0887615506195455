import { env } from '@/env';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';

// SMS goes through this interface. The log sender (default without a gateway) writes the
// message to the server log; the HTTP sender POSTs {to, text} as JSON to SMS_GATEWAY_URL.

export type SmsSender = { send(to: string, text: string): Promise<void> };

export const logSmsSender: SmsSender = {
  async send(to, text) {
    logger.info('SMS (log sender; set SMS_GATEWAY_URL to deliver for real)', { scope: 'sms', to, text });
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
        throw new AppError('service_unavailable', 503, 'We could not send the SMS right now. Please try again in a minute.', undefined, { 'Retry-After': '30' });
      }
      if (!res.ok) {
        logger.error('SMS gateway refused the message', { scope: 'sms', status: res.status });
        throw new AppError('service_unavailable', 503, 'We could not send the SMS right now. Please try again in a minute.', undefined, { 'Retry-After': '30' });
      }
    },
  };
}

export function configuredSmsSender(): SmsSender {
  const e = env();
  return e.SMS_GATEWAY_URL ? httpSmsSender(e.SMS_GATEWAY_URL, e.SMS_GATEWAY_TOKEN) : logSmsSender;
}
