/**
 * The task form, loaded when it is first opened: it alone needs the recurrence rules
 * (rrule-temporal and the Temporal polyfill, about half the client's code), so a home
 * opens without them.
 */
import { lazy } from "solid-js";

export const TaskForm = lazy(() => import("./TaskForm").then((module) => ({ default: module.TaskForm })));
