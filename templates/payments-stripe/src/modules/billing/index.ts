import type { AppDeps } from '../../deps.js';
import { scopedRouter } from '../../lib/scope.js';
import { billingHandlers } from './handlers.js';
import { cancelRoute, checkoutRoute, getBillingRoute, invoicesRoute, portalRoute, resumeRoute } from './routes.js';
import { createBillingService } from './service.js';

/** /billing: the signed-in user's plan, checkout, portal, invoices, cancel and resume. */
export const billingRoutes = (deps: AppDeps) => {
  const h = billingHandlers(deps, createBillingService(deps));
  return scopedRouter(deps, '/billing')
    .openapi(getBillingRoute, h.get)
    .openapi(checkoutRoute, h.checkout)
    .openapi(portalRoute, h.portal)
    .openapi(invoicesRoute, h.invoices)
    .openapi(cancelRoute, h.cancel)
    .openapi(resumeRoute, h.resume);
};
