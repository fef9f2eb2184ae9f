// English strings of every email. The Romanian catalog (emails.ro.ts) must have exactly these keys.
// `{name}` placeholders are filled by the templates; values are HTML-escaped by the layout.

export const emailsEn = {
  'layout.brand': 'Webex subscription provisioning',
  'layout.greeting': 'Hello {name},',
  'layout.greetingAnonymous': 'Hello,',
  'layout.linkFallback': 'If the button does not work, copy this link into your browser:',
  'layout.signature': 'The Webex provisioning team',
  'layout.footer': 'This email is about order {orderId}. If you were not expecting it, you can ignore it.',
  'layout.automated': 'This is an automated message; replies are not read.',

  'fact.order': 'Order',
  'fact.services': 'Services',
  'fact.webex': 'Created in Webex',
  'fact.partner': 'Partner',
  'fact.customerOrg': 'Customer organization',
  'fact.partnerOrg': 'Partner organization',
  'fact.handedOnBy': 'Handed on by',
  'fact.failedAt': 'Failed at',
  'fact.step': 'Waiting step',
  'fact.linkExpires': 'Link valid until',
  'fact.reason': 'Reason',
  'fact.error': 'Error',
  'fact.cause': 'Cause',
  'fact.recipient': 'Contact',

  'service.meetings': 'Webex Meetings',
  'service.calling': 'Webex Calling',
  'service.withLicenses': '{service}: {licenses}',
  licenses: '{count, plural, one {# license} other {# licenses}}',

  'step.order-for': 'Who is this order for?',
  'step.partner-org': 'Partner organization',
  'step.customer-org': 'Customer organization',
  'step.customer-review': 'Customer organization review',
  'step.service-meetings': 'Set up Webex Meetings',
  'step.service-calling': 'Set up Webex Calling',

  'action.setUp': 'Set up service',
  'action.continue': 'Continue setup',
  'action.download': 'Download order summary (PDF)',

  'welcome.subject': 'Provisioning information required for your order {orderId}',
  'welcome.preheader': 'Set up the Webex services of order {orderId}.',
  'welcome.heading': 'Provisioning information required',
  'welcome.intro':
    'Your order {orderId} is ready to be provisioned. We need a few details to set up its Webex services: who the order is for, the organizations, and the settings of each service.',
  'welcome.partner': 'The order was placed through {partnerName}.',
  'welcome.cta':
    'Select Set up service to start. You can stop at any step and come back later through this link.',

  'handoff.subject': 'Order {orderId} was handed to you: provisioning information required',
  'handoff.preheader': '{fromEmail} asked you to complete order {orderId}.',
  'handoff.heading': 'An order was handed to you',
  'handoff.intro': '{fromEmail} asked you to complete the provisioning of order {orderId}.',
  'handoff.cta':
    'Select Set up service to start. The link in this email is yours: links sent earlier for this order no longer work.',

  'selfSetup.subject': 'Continue setting up the services of order {orderId}',
  'selfSetup.preheader': '{partnerOrgName} lets you set up the services of order {orderId}.',
  'selfSetup.heading': 'Set up your services',
  'selfSetup.intro':
    '{partnerOrgName} has mapped order {orderId} to your organization, {customerOrgName}, and lets you set up its services yourself.',
  'selfSetup.partnerAccess': 'Your partner keeps access to your organization, so they can still support you.',
  'selfSetup.cta': 'Select Continue setup to configure each service.',

  'reminder.subject': 'Reminder: order {orderId} is waiting for you',
  'reminder.preheader': 'Order {orderId} is waiting at: {step}.',
  'reminder.heading': 'Your order is waiting for you',
  'reminder.intro': 'Order {orderId} is still waiting for you at the step: {step}.',
  'reminder.cta': 'Select Set up service to continue where you left off.',
  'reminder.last': 'This is the last reminder: if the step is not completed in time, the order expires.',
  'reminder.remaining':
    '{count, plural, one {# more reminder will follow} other {# more reminders will follow}} before the order expires.',

  'expired.subject': 'Order {orderId} has expired',
  'expired.preheader': 'Order {orderId} was not completed in time.',
  'expired.heading': 'Your order has expired',
  'expired.intro':
    'Order {orderId} was not completed in time and has expired. Its setup links no longer work.',
  'expired.services': 'Services that were not set up have not been provisioned.',
  'expired.next': 'To continue, contact the sales representative you worked with to place the order.',

  'cancelled.subject': 'Order {orderId} was cancelled',
  'cancelled.preheader': 'Order {orderId} was cancelled.',
  'cancelled.heading': 'Your order was cancelled',
  'cancelled.intro': 'Order {orderId} was cancelled. Its setup links no longer work.',
  'cancelled.next':
    'If you did not expect this, contact the sales representative you worked with to place the order.',

  'complete.subject': 'Order {orderId} is set up: your order summary',
  'complete.preheader': 'All services of order {orderId} are set up.',
  'complete.heading': 'Your services are set up',
  'complete.intro': 'All services of order {orderId} are set up.',
  'complete.cta': 'Download a copy of the order summary as a PDF for your records.',
  'complete.expiry': 'The download link works until {date}.',

  'opsFailure.subject': '[ops] Provisioning run failed for order {orderId} at "{step}"',
  'opsFailure.preheader': 'Run {orderId} failed at {step}: {error}.',
  'opsFailure.heading': 'A provisioning run failed',
  'opsFailure.intro':
    'The provisioning run of order {orderId} failed and the order is marked failed. The run’s execution name is the order id.',
  'opsFailure.next':
    'Open the execution in the Step Functions console (or the local ops view) to see each step’s input, output and error.',
} as const;

export type EmailMessageKey = keyof typeof emailsEn;
