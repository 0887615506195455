// The request a benchmark's signed-in client sends: its cookies, a bearer key, and a JSON or
// form body. Shared by the soak and multi-instance benchmarks' cookie-jar clients.
export type RequestBody = { json?: unknown; form?: Record<string, string>; bearer?: string };

export function requestInit(
  cookies: ReadonlyMap<string, string>,
  opts: RequestBody,
): { headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = {};
  if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  return { headers, body };
}
