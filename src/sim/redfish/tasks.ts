/**
 * Tasks behind 202 answers: a task resource (TaskService/Tasks/<id>) and its monitor
 * (TaskService/TaskMonitors/<id>). GET on the monitor answers 202 + the task while it runs, then
 * the operation's own answer (204 for a reset).
 */
import { ROOT } from './resources.js';

export type TaskState = 'Running' | 'Completed' | 'Exception';

export interface SimTask {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
  state: TaskState;
  endTime?: string;
  message?: string;
}

export const TASKS_PATH = `${ROOT}/TaskService/Tasks`;
export const MONITORS_PATH = `${ROOT}/TaskService/TaskMonitors`;

export class TaskStore {
  readonly tasks = new Map<string, SimTask>();
  private counter = 1000;

  /** A running task that completes (or fails) when `work` settles. */
  start(name: string, work: Promise<void>): SimTask {
    this.counter += 1;
    const task: SimTask = { id: String(this.counter), name, startTime: new Date().toISOString(), state: 'Running' };
    this.tasks.set(task.id, task);
    work.then(
      () => Object.assign(task, { state: 'Completed', endTime: new Date().toISOString() }),
      (error: unknown) => Object.assign(task, { state: 'Exception', endTime: new Date().toISOString(), message: String(error) }),
    );
    return task;
  }

  monitorPath(task: SimTask): string {
    return `${MONITORS_PATH}/${task.id}`;
  }

  resource(task: SimTask): Record<string, unknown> {
    return {
      '@odata.type': '#Task.v1_7_4.Task',
      Id: task.id,
      Name: task.name,
      TaskState: task.state,
      TaskStatus: task.state === 'Exception' ? 'Critical' : 'OK',
      StartTime: task.startTime,
      ...(task.endTime ? { EndTime: task.endTime } : {}),
      PercentComplete: task.state === 'Running' ? 50 : 100,
      TaskMonitor: this.monitorPath(task),
      Messages: [],
      '@odata.id': `${TASKS_PATH}/${task.id}`,
    };
  }
}
