import * as z from 'zod';

// Reads the SES emulator's store (`GET <ses>/store?since=<epoch s>`) for the contacts: one poller
// for every waiting contact, asking only for what arrived since its last look.

export const storedEmailSchema = z.object({
  messageId: z.string(),
  destination: z.object({ to: z.array(z.string()).default([]) }).passthrough(),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }).passthrough(),
  at: z.number(),
});
export type StoredEmail = z.infer<typeof storedEmailSchema>;
const storeSchema = z.object({ emails: z.array(z.unknown()) });

/** The "Set up service" button's link in an email (or any setup link in it). */
export function setupLinkOf(email: StoredEmail): string | undefined {
  const html = email.body.html ?? '';
  for (const m of html.matchAll(/<a\s+href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi)) {
    if (/Set up service/i.test(m[2] ?? '') && /\/setup\//.test(m[1] ?? ''))
      return m[1]?.replace(/&amp;/g, '&');
  }
  const text = `${email.body.text ?? ''}\n${html}`;
  return /https?:\/\/[^\s"'<>]+\/setup\/[A-Za-z0-9_-]+/.exec(text)?.[0];
}

/** What the bench keeps of an email: its subject, recipients and setup link, not the whole body. */
function light(email: StoredEmail): StoredEmail {
  const link = setupLinkOf(email);
  return {
    messageId: email.messageId,
    destination: { to: email.destination.to },
    subject: email.subject,
    body: link ? { html: `<a href="${link}">Set up service</a>` } : {},
    at: email.at,
  };
}

interface Waiter {
  match: (e: StoredEmail) => boolean;
  resolve: (e: StoredEmail) => void;
  reject: (error: Error) => void;
  deadline: number;
}

export class Mailbox {
  private readonly seen = new Map<string, StoredEmail>();
  private readonly waiters = new Set<Waiter>();
  private since: number;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  requests = 0;

  constructor(
    private readonly sesUrl: string,
    startedAtMs: number,
    private readonly pollMs = 200,
  ) {
    this.since = Math.floor(startedAtMs / 1000);
  }

  /** Every email seen since the bench started. */
  emails(): StoredEmail[] {
    return [...this.seen.values()];
  }

  async poll(): Promise<void> {
    const askedAt = Math.floor(Date.now() / 1000);
    this.requests += 1;
    const res = await fetch(`${this.sesUrl}/store?since=${this.since}`);
    if (!res.ok) throw new Error(`GET ${this.sesUrl}/store: HTTP ${res.status}`);
    const { emails } = storeSchema.parse(await res.json());
    for (const raw of emails) {
      const parsed = storedEmailSchema.safeParse(raw);
      if (parsed.success && !this.seen.has(parsed.data.messageId))
        this.seen.set(parsed.data.messageId, light(parsed.data));
    }
    // `at` has whole seconds: look again from one second before this look.
    this.since = Math.max(this.since, askedAt - 1);
    const now = Date.now();
    for (const w of this.waiters) {
      const found = [...this.seen.values()].find(w.match);
      if (found) {
        this.waiters.delete(w);
        w.resolve(found);
      } else if (now > w.deadline) {
        this.waiters.delete(w);
        w.reject(new Error('no such email arrived in time'));
      }
    }
  }

  private schedule(): void {
    if (this.timer || this.waiters.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.polling) return this.schedule();
      this.polling = true;
      this.poll()
        .catch((error: unknown) => {
          for (const w of this.waiters) w.reject(error instanceof Error ? error : new Error(String(error)));
          this.waiters.clear();
        })
        .finally(() => {
          this.polling = false;
          this.schedule();
        });
    }, this.pollMs);
  }

  /** Resolves with the first email that matches, polling the store until `timeoutMs`. */
  waitFor(match: (e: StoredEmail) => boolean, timeoutMs = 60_000): Promise<StoredEmail> {
    const found = [...this.seen.values()].find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.waiters.add({ match, resolve, reject, deadline: Date.now() + timeoutMs });
      this.schedule();
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
