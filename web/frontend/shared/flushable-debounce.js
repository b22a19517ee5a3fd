// The properties panel waits a moment after typing before it changes the diagram. A process
// owner who types and at once chooses "Controleren" must not lose the last change, so this
// replaces the panel's debounce service with one whose waiting inputs can be written out.
import { debounce } from 'min-dash';

const DELAY = 300;

function pendingInputs() {
  const pending = new Set();
  return {
    add: (callback) => pending.add(callback),
    remove: (callback) => pending.delete(callback),
    /** Write out every input still waiting. */
    flush: () => [...pending].forEach((callback) => callback.flush())
  };
}

function debounceInput(pendingInput) {
  return (fn) => {
    const debounced = debounce(function write(...args) {
      pendingInput.remove(callback); // eslint-disable-line no-use-before-define
      return fn.apply(this, args);
    }, DELAY);
    function callback(...args) {
      pendingInput.add(callback);
      debounced.apply(this, args);
    }
    callback.flush = () => {
      debounced.flush();
      pendingInput.remove(callback);
    };
    callback.cancel = () => {
      debounced.cancel();
      pendingInput.remove(callback);
    };
    return callback;
  };
}
debounceInput.$inject = ['pendingInput'];

export default {
  pendingInput: ['factory', pendingInputs],
  debounceInput: ['factory', debounceInput]
};
