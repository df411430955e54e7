// The machine a run happened on, for the report's header: CPU, memory, Node, the file system
// under the scratch directory, and the load average around the run (the note on noise: other
// processes on the machine skew every figure).
import { readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

export interface MachineInfo {
  cpu: string
  cores: number
  ramBytes: number
  node: string
  platform: string
  date: string
}

export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
  }
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = loadavg()
  return [a, b, c]
}

/**
 * The file system holding `path` ("ext4 on /dev/vda"), from /proc/mounts (longest mount point
 * that is a prefix of the path); undefined where /proc/mounts cannot be read. On tmpfs, fsync
 * costs nothing and a larger-than-memory run is not one: the report says so.
 */
export function filesystemOf(path: string): string | undefined {
  let text: string
  try {
    text = readFileSync('/proc/mounts', 'utf8')
  } catch {
    return undefined // not Linux: the header leaves the file system out
  }
  let best: { mount: string; type: string; device: string } | undefined
  for (const line of text.split('\n')) {
    const [device, mount, type] = line.split(' ')
    if (device === undefined || mount === undefined || type === undefined) continue
    const mountPoint = mount.replace(/\\040/g, ' ')
    const inside = path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`)
    if (inside && (best === undefined || mountPoint.length > best.mount.length)) best = { mount: mountPoint, type, device }
  }
  return best === undefined ? undefined : `${best.type} on ${best.device}`
}
