// Core styles first, so each room kind's own styles (imported by its manifest, through App) come after them.
import "./styles/index.css";
import { render } from "solid-js/web";
import { App } from "./App";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(() => <App />, root);
