// Defaults every test process starts with, so modules that read configuration can load.
// Tests that start emulators set the endpoints and call resetClients().
const defaults: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  TABLE_NAME: 'provisioning-test',
  BUCKET_NAME: 'provisioning-test',
  SENDER_EMAIL: 'provisioning@example.com',
  OPS_EMAIL: 'ops@example.com',
  PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:SubscriptionProvisioning',
  EVENT_BUS_NAME: 'provisioning-test-bus',
  SIGNING_KEY: 'test-signing-key-0123456789abcdef0123456789abcdef',
  LINK_TTL_SECONDS: '1209600',
  SUMMARY_URL_TTL_SECONDS: '900',
  STEP_TIMEOUT_SECONDS: '259200',
  MAX_REMINDERS: '3',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_DEV: 'false',
};
for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;
