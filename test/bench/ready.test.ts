import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { readyAt, readyToShown } from '../../bench/ready';

const t0 = 1_700_000_000_000;
const at = (ms: number) => new Date(t0 + ms);

// A run's history: "Customer organization" asked twice (a reminder re-enters it), then
// "Review organizations", then "Complete order".
const events: HistoryEvent[] = [
  { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
  {
    id: 2,
    previousEventId: 1,
    type: 'TaskStateEntered',
    timestamp: at(10),
    stateEnteredEventDetails: { name: 'Customer organization' },
  },
  { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: at(11) },
  { id: 4, previousEventId: 3, type: 'TaskStarted', timestamp: at(12) },
  { id: 5, previousEventId: 4, type: 'TaskSubmitted', timestamp: at(40) },
  { id: 6, previousEventId: 5, type: 'TaskSucceeded', timestamp: at(1000) },
  {
    id: 7,
    previousEventId: 6,
    type: 'TaskStateExited',
    timestamp: at(1001),
    stateExitedEventDetails: { name: 'Customer organization' },
  },
  {
    id: 8,
    previousEventId: 7,
    type: 'TaskStateEntered',
    timestamp: at(1002),
    stateEnteredEventDetails: { name: 'Create customer organization' },
  },
  { id: 9, previousEventId: 8, type: 'TaskScheduled', timestamp: at(1003) },
  { id: 10, previousEventId: 9, type: 'TaskStarted', timestamp: at(1004) },
  { id: 11, previousEventId: 10, type: 'TaskSucceeded', timestamp: at(1100) },
  {
    id: 12,
    previousEventId: 11,
    type: 'TaskStateExited',
    timestamp: at(1101),
    stateExitedEventDetails: { name: 'Create customer organization' },
  },
  {
    id: 13,
    previousEventId: 12,
    type: 'TaskStateEntered',
    timestamp: at(4000),
    stateEnteredEventDetails: { name: 'Review organizations' },
  },
  { id: 14, previousEventId: 13, type: 'TaskScheduled', timestamp: at(4001) },
  { id: 15, previousEventId: 14, type: 'TaskStarted', timestamp: at(4002) },
  { id: 16, previousEventId: 15, type: 'TaskSubmitted', timestamp: at(4030) },
  { id: 17, previousEventId: 16, type: 'TaskSucceeded', timestamp: at(6000) },
  {
    id: 18,
    previousEventId: 17,
    type: 'TaskStateExited',
    timestamp: at(6001),
    stateExitedEventDetails: { name: 'Review organizations' },
  },
  {
    id: 19,
    previousEventId: 18,
    type: 'TaskStateEntered',
    timestamp: at(6002),
    stateEnteredEventDetails: { name: 'Complete order' },
  },
  { id: 20, previousEventId: 19, type: 'TaskScheduled', timestamp: at(6003) },
  { id: 21, previousEventId: 20, type: 'TaskStarted', timestamp: at(6004) },
  { id: 22, previousEventId: 21, type: 'TaskSucceeded', timestamp: at(6080) },
  {
    id: 23,
    previousEventId: 22,
    type: 'TaskStateExited',
    timestamp: at(6081),
    stateExitedEventDetails: { name: 'Complete order' },
  },
];

describe('bench: next step ready → shown', () => {
  it('reads a callback step as ready when its token was stored (TaskSubmitted of that state)', () => {
    expect(readyAt(events, 'customer-org → customer-review', t0 + 1000)).toBe(t0 + 4030);
    // The earlier TaskSubmitted belongs to another state: not taken for "Review organizations".
    expect(readyAt(events, 'customer-org → customer-review', t0)).toBe(t0 + 4030);
  });

  it('reads the done page as ready when "Complete order" exits, and knows nothing of other steps', () => {
    expect(readyAt(events, 'service-calling → done', t0 + 5000)).toBe(t0 + 6081);
    expect(readyAt(events, 'customer-review → service-meetings', t0)).toBeUndefined();
    // Submitted after the state's event: the run had not got there yet for this submit.
    expect(readyAt(events, 'service-calling → done', t0 + 7000)).toBeUndefined();
  });

  it('measures shown − ready per label, a page shown before its event counted as at once', () => {
    const measured = readyToShown(events, [
      { label: 'customer-org → customer-review', submittedAt: t0 + 1000, shownAt: t0 + 4250 },
      { label: 'service-calling → done', submittedAt: t0 + 5000, shownAt: t0 + 6075 },
      { label: 'customer-review → service-meetings', submittedAt: t0 + 6000, shownAt: t0 + 6100 },
    ]);
    expect(Object.fromEntries(measured)).toEqual({
      'customer-org → customer-review': [220],
      'service-calling → done': [0],
    });
  });
});
