/**
 * A "job" is one page being read: the service worker writes its progress and
 * result to session storage, the reader page renders whatever is there and
 * follows changes. Session storage lives in memory and is gone on restart.
 */

const PREFIX = "job:";
/** Articles are kept for the reader tabs still open; older ones go to bound memory use. */
export const KEEP_JOBS = 12;

export function jobKey(id) {
  return `${PREFIX}${id}`;
}

/** Write a fresh "working" job and drop the oldest beyond KEEP_JOBS. */
export async function startJob(area, id, source, now = Date.now()) {
  const job = { id, state: "working", step: "capture", source, startedAt: now };
  await area.set({ [jobKey(id)]: job });
  await pruneJobs(area, KEEP_JOBS);
  return job;
}

/** Merge changes into a stored job; returns the new job. */
export async function updateJob(area, id, changes) {
  const current = (await readJob(area, id)) ?? { id };
  const job = { ...current, ...changes };
  await area.set({ [jobKey(id)]: job });
  return job;
}

/** The stored job, or null when it is gone. */
export async function readJob(area, id) {
  const key = jobKey(id);
  const stored = await area.get(key);
  return stored[key] ?? null;
}

/** Keep the newest `keep` jobs. */
export async function pruneJobs(area, keep) {
  const everything = await area.get(null);
  const jobs = Object.entries(everything)
    .filter(([key]) => key.startsWith(PREFIX))
    .sort(([, a], [, b]) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  const stale = jobs.slice(keep).map(([key]) => key);
  if (stale.length) await area.remove(stale);
}

/** The plain-data error stored in a job (errors do not survive structured cloning whole). */
export function storedError(error) {
  return {
    code: error?.code ?? "unexpected",
    message: String(error?.message ?? error),
    status: error?.status ?? 0,
    retryAfter: error?.retryAfter ?? null,
  };
}
