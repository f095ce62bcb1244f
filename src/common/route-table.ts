// A second router holding every registered route, so that a request that matched no route can be
// told apart: unknown path (404) or known path with another method (405 with `Allow`).
import FindMyWay from 'find-my-way';
import type { HTTPMethod } from 'find-my-way';

export class RouteTable {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true });
  private readonly methods = new Set<HTTPMethod>();

  add(method: string | string[], url: string): void {
    // Catch-all routes (CORS preflight answers OPTIONS on '*') say nothing about which paths exist.
    if (url === '*' || url === '/*') return;
    const methods = (Array.isArray(method) ? method : [method]) as HTTPMethod[];
    this.router.on(methods, url, () => undefined);
    methods.forEach((m) => this.methods.add(m));
  }

  /** The methods a path answers to, empty when the path is unknown. */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0];
    return [...this.methods].filter((method) => this.router.find(method, path) !== null).sort();
  }
}
