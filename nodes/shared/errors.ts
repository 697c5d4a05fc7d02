// Errors the core raises. The node layer turns InputError into NodeOperationError (the user
// must change something) and everything else into NodeApiError.

/** The input is wrong: a missing field, malformed JSON, an unknown type. Nothing was changed. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A transition's precondition did not hold: the entity is not in the state the caller assumed. */
export class StateError extends Error {
  constructor(
    message: string,
    readonly currentState: string | null,
  ) {
    super(message);
    this.name = 'StateError';
  }
}
