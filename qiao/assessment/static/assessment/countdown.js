// The quiz attempt's time left, from the server's deadline (milliseconds since the epoch).
(() => {
  const el = document.getElementById("countdown");
  if (!el) return;
  const deadline = Number(el.dataset.deadline);
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left > 0) setTimeout(tick, 1000);
  };
  tick();
})();
