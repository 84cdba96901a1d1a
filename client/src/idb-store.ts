/**
 * One IndexedDB object store of this browser's local data (local-data.ts names each database), opened once per
 * page. Every request answers null where IndexedDB is unavailable or fails (private modes, storage disabled): the
 * caller then keeps what it has in memory only.
 */

export type StoreRequest = <T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
) => Promise<T | null>;

export function idbStore(database: string, store: string, keyPath: string): StoreRequest {
  let opened: Promise<IDBDatabase | null> | null = null;
  const open = (): Promise<IDBDatabase | null> => {
    opened ??= new Promise((resolve) => {
      let request: IDBOpenDBRequest;
      try {
        request = indexedDB.open(database, 1);
      } catch {
        resolve(null);
        return;
      }
      request.onupgradeneeded = () => request.result.createObjectStore(store, { keyPath });
      request.onsuccess = () => {
        const db = request.result;
        // A logout deletes this database: let go at once instead of blocking it.
        db.onversionchange = () => {
          db.close();
          opened = null;
        };
        resolve(db);
      };
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });
    return opened;
  };
  return (mode, work) =>
    open().then(
      (db) =>
        new Promise((resolve) => {
          if (!db) return resolve(null);
          try {
            const request = work(db.transaction(store, mode).objectStore(store));
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => resolve(null);
          } catch {
            resolve(null);
          }
        }),
    );
}
