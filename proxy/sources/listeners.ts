/**
 * Who wants to hear of a change. Each listener is isolated: one that throws
 * is reported to the caller (a control source NACKs the version) and never
 * keeps the others from hearing.
 */
export class Listeners<T> {
  private readonly all = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  /** Tells every listener; returns what the ones that failed threw. */
  emit(value: T): unknown[] {
    const errors: unknown[] = [];
    for (const listener of this.all) {
      try {
        listener(value);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }
}
