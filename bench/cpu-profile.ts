/**
 * Reads a V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` or the inspector writes it) and sums self time
 * by function and by area (a package under node_modules, a folder of this project, node's internals, GC).
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
  /**
   * Inclusive time of this project's functions (`src/`): the time spent in them and what they call until
   * their next `await` (a CPU profile has no async stacks, so work after an await counts where it resumes).
   */
  project: SelfTime[];
}

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  const path = dist >= 0 ? url.slice(dist + '/dist/'.length) : url;
  return path.split('/').slice(0, -1).join('/') || path;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url;
}

function top(map: Map<string, number>, totalMs: number, count: number): SelfTime[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName;
}

export function summariseProfile(profile: CpuProfile, count = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  const project = new Map<string, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const node = byId.get(profile.samples[i]);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    totalUs += us;
    const name = frameName(node);
    functions.set(name, (functions.get(name) ?? 0) + us / 1000);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us / 1000);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parents.get(id)) {
      const frame = byId.get(id)!;
      if (!/\/dist\/src\//.test(frame.callFrame.url)) continue;
      const frameKey = frameName(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      project.set(frameKey, (project.get(frameKey) ?? 0) + us / 1000);
    }
  }
  const totalMs = totalUs / 1000;
  return {
    totalMs,
    functions: top(functions, totalMs, count),
    areas: top(areas, totalMs, count),
    project: top(project, totalMs, count),
  };
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

/**
 * The shares of self time, each turned into CPU milliseconds per event by the CPU the process measured
 * (`process.cpuUsage`): the profiler samples wall time, which a busy machine inflates when it deschedules.
 */
export function formatSummary(summary: ProfileSummary, cpuMsPerEvent: number): string {
  const line = (entry: SelfTime): string =>
    `  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${(entry.share * cpuMsPerEvent).toFixed(3).padStart(7)} ms/event  ${entry.name}`;
  return [
    `  ${cpuMsPerEvent.toFixed(2)} ms of CPU per event (process.cpuUsage), shared out by the profile's self time; by area:`,
    ...summary.areas.map(line),
    '  self time by function:',
    ...summary.functions.map(line),
    ...(summary.project.length
      ? ["  inclusive time of this project's functions (up to their next await):"]
      : []),
    ...summary.project.map(line),
  ].join('\n');
}
