/** A registered anomaly detector: what the example service keeps, and answers with. */
export interface Detector {
  id: string;
  name: string;
  description: string | null;
  /** The Tessera subject (user or service client) that registered it. */
  createdBy: string;
  createdAt: string;
}
