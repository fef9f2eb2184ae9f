import { html, raw, type Html } from '../ops/html';
import type { WebexFaults } from './webex-faults';
import type { StoredLocation } from './webex-state';

// The local Webex's page: every org, and each org's Meetings sites and Calling locations, so a
// person can see what an order really created. The ops view's run page links here.

export interface WebexPageOrg {
  id: string;
  orgId?: string;
  externalId: string;
  name: string;
  status: string;
  errors?: { description: string }[];
  sites: {
    id: string;
    siteUrl: string;
    status: string;
    timeZone: string;
    licenses: number;
    errors?: { description: string }[];
  }[];
  locations: StoredLocation[];
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:1.6rem 0 .3rem}table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{text-align:left;border-bottom:1px solid #ddd;padding:.3rem .5rem;vertical-align:top}code{font-size:.85em;word-break:break-all}
.status-provisioned{color:#0a6b2b}.status-provisioning{color:#8a5a00}.status-error{color:#b00020;font-weight:600}.muted{color:#666}`;

function status(value: string, errors?: { description: string }[]): Html {
  return html`<span class="status-${value}">${value}</span
    >${errors?.length ? html`: ${errors.map((e) => e.description).join('; ')}` : ''}`;
}

export function renderWebexPage(input: {
  customers: WebexPageOrg[];
  filtered?: string;
  faults: WebexFaults;
}): string {
  const faultsOn =
    input.faults.latencyMs > 0 ||
    input.faults.rate429 > 0 ||
    input.faults.rate5xx > 0 ||
    input.faults.jobError.length > 0;
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Local Webex</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <h1>Local Webex: what exists</h1>
        <p class="muted">
          Organizations (Wholesale customers), their Meetings sites and Calling locations, as the provisioning
          steps created them.
          ${input.filtered ? html` Showing the organization with externalId <code>${input.filtered}</code>. <a href="/">Show all</a>.` : ''}
        </p>
        ${faultsOn ? html`<p class="status-error">Faults on: ${JSON.stringify(input.faults)}</p>` : ''}
        ${input.customers.length === 0 ? html`<p>No organizations yet.</p>` : ''}
        ${input.customers.map(
          (org) =>
            html`<section id="org-${org.externalId}">
              <h2>${org.name}</h2>
              <table>
                <tbody>
                  <tr>
                    <th>Status</th>
                    <td>${status(org.status, org.errors)}</td>
                  </tr>
                  <tr>
                    <th>Org id</th>
                    <td>
                      ${
                        org.orgId
                          ? html`<code>${org.orgId}</code>`
                          : html`<span class="muted">presented once provisioned</span>`
                      }
                    </td>
                  </tr>
                  <tr>
                    <th>externalId (our org id)</th>
                    <td><code>${org.externalId}</code></td>
                  </tr>
                </tbody>
              </table>
              <h3>Meetings sites</h3>
              ${
                org.sites.length === 0
                  ? html`<p class="muted">None.</p>`
                  : html`<table>
                      <thead>
                        <tr>
                          <th>Site</th>
                          <th>Status</th>
                          <th>Time zone</th>
                          <th>Licenses</th>
                          <th>Id</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${org.sites.map(
                          (s) =>
                            html`<tr>
                              <td>${s.siteUrl}</td>
                              <td>${status(s.status, s.errors)}</td>
                              <td>${s.timeZone}</td>
                              <td>${s.licenses}</td>
                              <td><code>${s.id}</code></td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
              }
              <h3>Calling locations</h3>
              ${
                org.locations.length === 0
                  ? html`<p class="muted">None.</p>`
                  : html`<table>
                      <thead>
                        <tr>
                          <th>Location</th>
                          <th>Address</th>
                          <th>Calling</th>
                          <th>Id</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${org.locations.map(
                          (l) =>
                            html`<tr>
                              <td>${l.name}</td>
                              <td>${Object.values(l.address).join(', ')}</td>
                              <td>${l.callingEnabled ? 'enabled' : 'not enabled'}</td>
                              <td><code>${l.id}</code></td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
              }
            </section>`,
        )}
      </body>
    </html>`;
  return body.value;
}
