/**
 * Hocuspocus as the benchmark runs it: the stock server on 127.0.0.1:$PORT. With
 * $PERSIST_DIR it stores each document as one Yjs state file through its documented
 * onLoadDocument / onStoreDocument hooks (Hocuspocus debounces stores: 2 s, at most 10 s,
 * and stores at once when the last client leaves or the server stops). Without it the
 * documents live in memory only.
 */
import { mkdirSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Server } from "@hocuspocus/server";
import * as Y from "yjs";

const port = Number(process.env.PORT);
const dir = process.env.PERSIST_DIR;

const fileOf = (dirPath: string, name: string) => join(dirPath, `${encodeURIComponent(name)}.ydoc`);

function isMissing(err: unknown): boolean {
  return err instanceof Error && "code" in err && err.code === "ENOENT";
}

if (dir) mkdirSync(dir, { recursive: true });

const persistence = dir
  ? {
      async onLoadDocument({ documentName, document }: { documentName: string; document: Y.Doc }): Promise<void> {
        try {
          Y.applyUpdate(document, await readFile(fileOf(dir, documentName)));
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      },
      async onStoreDocument({ documentName, document }: { documentName: string; document: Y.Doc }): Promise<void> {
        const path = fileOf(dir, documentName);
        await writeFile(`${path}.tmp`, Y.encodeStateAsUpdate(document));
        await rename(`${path}.tmp`, path);
      },
    }
  : {};

const server = new Server({ port, address: "127.0.0.1", quiet: true, ...persistence });
await server.listen();
