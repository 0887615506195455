// Client mistakes that next-auth v4 answers with a 500 ("problem with the server
// configuration", or an uncaught error): a GET of a sign-in callback, a callbackUrl that is not an http(s) URL or a
// path (in the query, the body or its cookie), and a JSON body that does not parse. The
// hostile-input suite (e2e/fuzz) found them; the route refuses them with the contract's 400.

const CALLBACK_COOKIES = ['next-auth.callback-url', '__Secure-next-auth.callback-url'];

/** next-auth's own test (isValidHttpUrl): a path, or an absolute http(s) URL. */
function acceptableCallback(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith('/') ? 'http://localhost' : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return v.join('=');
      }
    }
  }
  return undefined;
}

/** Why next-auth would fail on this request, or null. */
export async function nextAuthInputProblem(req: Request): Promise<string | null> {
  // Credentials providers have no GET callback; next-auth throws on one.
  if (req.method === 'GET' && /\/api\/auth\/callback(\/|$)/.test(new URL(req.url).pathname))
    return 'Sign-in callbacks take a POST.';
  // next-auth puts the error code into its redirect's Location header as it is: a character a
  // header cannot hold makes Node throw. Its codes are plain words (CredentialsSignin, Default).
  const url = new URL(req.url);
  const errorCode = url.searchParams.get('error');
  if (/\/api\/auth\/error\/?$/.test(url.pathname) && errorCode !== null && !/^[A-Za-z0-9_-]{0,64}$/.test(errorCode)) {
    return 'error must be a sign-in error code (letters, digits, "-" or "_").';
  }
  const callbacks: unknown[] = [url.searchParams.get('callbackUrl')];
  const cookies = req.headers.get('cookie') ?? '';
  for (const name of CALLBACK_COOKIES) callbacks.push(cookieValue(cookies, name));
  const type = req.headers.get('content-type') ?? '';
  if (req.method === 'POST' && type.includes('application/json')) {
    let body: unknown;
    try {
      body = await req.clone().json();
    } catch {
      return 'The request body is not valid JSON.';
    }
    if (body !== null && typeof body === 'object') callbacks.push((body as Record<string, unknown>).callbackUrl);
  } else if (req.method === 'POST' && type.includes('application/x-www-form-urlencoded')) {
    callbacks.push(new URLSearchParams(await req.clone().text()).get('callbackUrl'));
  }
  for (const cb of callbacks) {
    if (cb === null || cb === undefined) continue;
    if (typeof cb !== 'string' || !acceptableCallback(cb)) return 'callbackUrl must be a path or an http(s) URL.';
  }
  return null;
}
