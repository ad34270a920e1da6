/** What one rule's evaluation found worth a notification, before the firing is decided. */
export interface Candidate {
  /** rule × period × threshold (or × run, × credential state): one firing per key, ever. */
  dedupe_key: string;
  /** One line: why it fires. */
  reason: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

/** What a rule's evaluation saw, firing or not (for the rule test and dry runs). */
export interface Evaluation {
  candidates: Candidate[];
  /** The measured values (spend, percent, runs), for the answer. */
  observed: Record<string, unknown>;
}
