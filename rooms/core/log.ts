/** One structured log line: a JSON object with the event's name and its fields (Workers Logs indexes them). */
export function log(event: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event, ...fields }));
}
