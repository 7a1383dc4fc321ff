/**
 * Questions the primary asks several workers at once (counts, metrics):
 * each resolves with the answers that came, once every asked worker
 * answered, died, or `ms` passed. A slow worker costs a bounded wait, never
 * a hung admin request.
 */
export class Asks<Who> {
  private next = 0;
  private readonly open = new Map<number, { waiting: Set<Who>; replies: Map<Who, unknown>; finish: () => void }>();

  ask(who: readonly Who[], ms: number, send: (w: Who, id: number) => void): Promise<Map<Who, unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      const entry = {
        waiting: new Set(who),
        replies: new Map<Who, unknown>(),
        finish: () => {
          clearTimeout(timer);
          this.open.delete(id);
          resolve(entry.replies);
        },
      };
      const timer = setTimeout(entry.finish, ms);
      this.open.set(id, entry);
      if (entry.waiting.size === 0) return entry.finish();
      for (const w of who) send(w, id);
    });
  }

  answer(id: number, from: Who, reply: unknown): void {
    const entry = this.open.get(id);
    if (!entry || !entry.waiting.delete(from)) return;
    entry.replies.set(from, reply);
    if (entry.waiting.size === 0) entry.finish();
  }

  /** `who` died: nothing more to wait for from it. */
  forget(who: Who): void {
    for (const entry of this.open.values()) if (entry.waiting.delete(who) && entry.waiting.size === 0) entry.finish();
  }
}
