// What only the owner can fix (Failure.ownerMessage), sent to the owner rate-limited by
// Workflow B's error path. Plain text: it goes out as an n8n error message.

/** Gemini answered 404 for the configured model. */
export function geminiModelUnavailable(model: string, intentModel: string, plannerModel: string): string {
  return `Gemini says the model "${model}" is not available. Change the "Model" parameter of the Gemini nodes (workflows A and D) to a current model, for example ${intentModel} (Gemini Intent) or ${plannerModel} (Gemini Planner); if the model name is right, check the Host in the Google Gemini (PaLM) API credential.`;
}

/** Gemini refused the API key. */
export function geminiKeyRejected(status: number, geminiSays: string): string {
  return `Gemini rejected the API key (${status}: ${geminiSays}). Check the API key (and Host) in the Google Gemini (PaLM) API credential.`;
}

/** Follows every notice of a setup problem: nothing the users sent meanwhile is lost. */
export function setupProblemNotice(problem: string): string {
  return `${problem} Messages that arrived meanwhile are kept and drafted once it works.`;
}
