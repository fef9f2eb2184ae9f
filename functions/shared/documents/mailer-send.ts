// What mailer.ts's sendEmail uses to render and send, in one module it imports on first send:
// the setup pages (Resume) send an email only when someone asks for a new link, and SES's client
// with the email templates and catalogs is about 35 KB that each page's cold start would
// otherwise load (docs/performance.md). A dynamic import of '@aws-sdk/client-sesv2' itself would
// keep every command of the package.
export { SendEmailCommand } from '@aws-sdk/client-sesv2';
export { ses } from '../clients/ses';
export { renderEmail } from './email-renderer';
