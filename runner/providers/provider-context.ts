import type { FaultLedger } from '../fault-ledger.js';

/** What a provider may use while it runs: the run's abort signal, and the ledger faults go through. */
/** What most providers use: only the abort signal. */
export type SignalOnly = Pick<ProviderContext, 'signal'>;

export interface ProviderContext {
  /** Aborted when a safeguard fails or the run is interrupted; providers stop promptly. */
  readonly signal: AbortSignal;
  readonly ledger: FaultLedger;
  /** The activity's name, for fault ids and messages. */
  readonly activity: string;
}
