/**
 * Whether a request path, as it came over the wire, is already in the form a URL parser turns it
 * into. `/p/x/%2e%2e/%2e%2e/api/…` is not: WHATWG URL parsing treats `%2e%2e` as `..` and resolves
 * it, so the app would route `/api/…` although API Gateway matched `/p/{token}/{proxy+}`, a public
 * route. Such a request, and any other whose normalised path differs from its raw path (`.` and
 * `..` segments, encoded or not, backslashes, unencoded characters), is refused before the app
 * sees it: no route in this app needs one. Used by the Lambda handler (handlers/api.ts) and the
 * local server (runtime/local-system.ts).
 */
export function isNormalPath(rawPathAndQuery: string): boolean {
  const path = rawPathAndQuery.split('?')[0] ?? '';
  if (!path.startsWith('/') || path.startsWith('//')) return false;
  try {
    return new URL(path, 'http://path.check').pathname === path;
  } catch {
    return false;
  }
}

/** The one answer to a path that is not normal (a JSON 400, the same on AWS and locally). */
export const NOT_NORMAL_PATH: { status: 400; body: string; headers: Record<string, string> } = {
  status: 400,
  body: JSON.stringify({
    error: 'bad-request',
    message: 'path: send it normalised, without "." or ".." segments (encoded or not) or backslashes',
  }),
  headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' },
};
