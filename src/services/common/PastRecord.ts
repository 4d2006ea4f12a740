/**
 * What a flow reads of this gateway's earlier service records of one register (the store's
 * ServiceRecord has it): the routes hand the records over, the flows decide from them.
 */
export interface PastRecord {
  readonly id: number;
  readonly at: string;
  readonly action: string;
  readonly result: string;
  readonly after: unknown;
}
