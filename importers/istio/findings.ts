/** A place in an Istio document (or in an experiment's `istio:` block): keys and list indexes from its root. */
export type Path = readonly (string | number)[];

/**
 * How much a finding matters:
 * - `invalid`: Istio itself would refuse the value (a weight of "ten"); nothing is written.
 * - `untranslated`: valid Istio that faultmesh cannot express; left out, and said so with what to do instead.
 * - `caveat`: translated, but faultmesh behaves differently in a way worth knowing.
 */
export type FindingKind = 'invalid' | 'untranslated' | 'caveat';

export interface Finding {
  readonly kind: FindingKind;
  readonly path: Path;
  readonly message: string;
  /** The finding is about the key itself (a field faultmesh has no word for), so it is placed at the key. */
  readonly atKey?: boolean;
}

/**
 * What translating one document (or one fault block) found. Collected, never
 * thrown, so every field is reported in one go; the caller decides what is
 * fatal (an experiment or `faults add` refuses anything untranslated, `import`
 * only with --strict).
 */
export class Findings {
  readonly list: Finding[] = [];

  invalid(path: Path, message: string, atKey = false): void {
    this.add({ kind: 'invalid', path, message, ...(atKey ? { atKey } : {}) });
  }

  untranslated(path: Path, message: string, atKey = false): void {
    this.add({ kind: 'untranslated', path, message, ...(atKey ? { atKey } : {}) });
  }

  caveat(path: Path, message: string): void {
    this.add({ kind: 'caveat', path, message });
  }

  /** Once per place and message: a route read for each host of its VirtualService reports a problem once. */
  private add(finding: Finding): void {
    const key = JSON.stringify([finding.kind, finding.path, finding.message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(finding);
  }

  private readonly seen = new Set<string>();

  count(kind: FindingKind): number {
    return this.list.filter((f) => f.kind === kind).length;
  }
}
