/** Snapshot of process.env, restored in place (process.env itself must stay the special object). */
export function saveEnvironment(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
