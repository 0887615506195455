import { test, expect } from '@playwright/test';
import { deriveDemoDeviceKey } from '@/lib/devices/keys';
test('probe', async ({ request, baseURL }) => {
  console.log('baseURL', baseURL);
  const key = deriveDemoDeviceKey('skypost-dev-seed', 'drone', '192.168.1.100');
  const res = await request.get('/api/devices/me', { headers: { authorization: `Bearer ${key}` } });
  console.log(res.status(), await res.text());
  expect(1).toBe(1);
});
