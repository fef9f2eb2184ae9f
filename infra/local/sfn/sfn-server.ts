import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SfnApiError } from './sfn-errors';
import type { SfnEngine } from './sfn-engine';

// The Step Functions JSON protocol over HTTP: `POST /` with `X-Amz-Target:
// AWSStepFunctions.<Operation>` and an `application/x-amz-json-1.0` body. Errors are HTTP 400
// with `__type`, which the AWS SDKs and CLI turn into the typed exception of that name.

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_BODY_BYTES = 1024 * 1024;

type Operation = (engine: SfnEngine, body: Record<string, unknown>) => unknown;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const OPERATIONS: Record<string, Operation> = {
  StartExecution: (e, b) =>
    e.startExecution({ stateMachineArn: str(b.stateMachineArn), name: str(b.name), input: str(b.input) }),
  DescribeExecution: (e, b) => e.describeExecution(str(b.executionArn)),
  ListExecutions: (e, b) =>
    e.listExecutions({
      stateMachineArn: str(b.stateMachineArn),
      statusFilter: str(b.statusFilter),
      maxResults: num(b.maxResults),
      nextToken: str(b.nextToken),
    }),
  GetExecutionHistory: (e, b) =>
    e.getExecutionHistory({
      executionArn: str(b.executionArn),
      maxResults: num(b.maxResults),
      nextToken: str(b.nextToken),
      reverseOrder: b.reverseOrder === true,
      includeExecutionData: b.includeExecutionData !== false,
    }),
  StopExecution: (e, b) =>
    e.stopExecution({ executionArn: str(b.executionArn), error: str(b.error), cause: str(b.cause) }),
  RedriveExecution: (e, b) => e.redriveExecution({ executionArn: str(b.executionArn) }),
  SendTaskSuccess: (e, b) => e.sendTaskSuccess({ taskToken: str(b.taskToken), output: str(b.output) }),
  SendTaskFailure: (e, b) =>
    e.sendTaskFailure({ taskToken: str(b.taskToken), error: str(b.error), cause: str(b.cause) }),
  SendTaskHeartbeat: (e, b) => e.sendTaskHeartbeat({ taskToken: str(b.taskToken) }),
  DescribeStateMachine: (e, b) => e.describeStateMachine(str(b.stateMachineArn)),
  ListStateMachines: (e) => e.listStateMachines(),
  DescribeStateMachineForExecution: (e, b) => {
    const execution = e.describeExecution(str(b.executionArn));
    return e.describeStateMachine(String(execution.stateMachineArn));
  },
};

function send(res: ServerResponse, status: number, body: unknown, type?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  res.end(text);
}

function sendError(res: ServerResponse, type: string, message: string, status = 400): void {
  send(res, status, { __type: `com.amazonaws.swf.service.v2.model#${type}`, message }, type);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SfnApiError('ValidationException', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createSfnServer(engine: SfnEngine): Server {
  return createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && (req.url === '/' || req.url === '/health')) {
          // Also the memory of the runtime's process (the bench reports it).
          send(res, 200, {
            service: 'local Step Functions',
            stateMachines: engine.listStateMachines().stateMachines,
            memory: process.memoryUsage(),
            stats: engine.stats(),
          });
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('AWSStepFunctions.')
          ? target.slice('AWSStepFunctions.'.length)
          : '';
        const handler = OPERATIONS[operation];
        if (req.method !== 'POST' || !handler) {
          sendError(
            res,
            'UnknownOperationException',
            `Unknown operation ${operation || target || req.method}`,
          );
          return;
        }
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          sendError(res, 'SerializationException', 'The request body is not valid JSON');
          return;
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          sendError(res, 'SerializationException', 'The request body must be a JSON object');
          return;
        }
        send(res, 200, await handler(engine, body as Record<string, unknown>));
      } catch (error) {
        if (error instanceof SfnApiError) sendError(res, error.type, error.message);
        else sendError(res, 'InternalFailure', error instanceof Error ? error.message : String(error), 500);
      }
    })();
  });
}
