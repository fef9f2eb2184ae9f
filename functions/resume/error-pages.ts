import { markup } from './html';
import type { WebResponse } from './http.types';
import type { PageContext } from './layout';
import { messagePage } from './pages/status.page';
import { routeSelf, linkPath, pageContext, type RequestContext, respond } from './request-context';

// The pages that say something went wrong: not found, method not allowed, an error, a refused
// post. Their language links come from the route (request-context.ts routeSelf), never from the
// request path.

export function forbidden(rc: RequestContext, ctx: PageContext, linkId: string): WebResponse {
  const { t } = ctx;
  return respond(
    rc,
    ctx,
    messagePage(
      ctx,
      'page.forbiddenTitle',
      'page.forbiddenBody',
      403,
      markup`<div class="actions">
        <a class="btn" href="${linkPath(rc, linkId)}">${t('page.goToSetup')}</a>
      </div>`,
    ),
  );
}

export function notFound(rc: RequestContext): WebResponse {
  const ctx = pageContext(rc, routeSelf(rc));
  return respond(rc, ctx, messagePage(ctx, 'page.notFoundTitle', 'page.notFoundBody', 404));
}

export function methodNotAllowed(rc: RequestContext, allow: string): WebResponse {
  const response = notFound(rc);
  return { ...response, status: 405, headers: { ...response.headers, allow } };
}

export function errorPage(rc: RequestContext, status: number): WebResponse {
  const ctx = pageContext(rc, routeSelf(rc));
  return respond(rc, ctx, messagePage(ctx, 'page.errorTitle', 'page.errorBody', status));
}
