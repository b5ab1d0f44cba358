// A representative's <select data-follows="organisation"> offers only the mandates of the
// organisation chosen in the same form (each option's data-organisation). Without
// JavaScript every mandate is offered and the server refuses one of another organisation.
document.querySelectorAll("select[data-follows]").forEach((select) => {
  const name = select.name.replace(/mandate$/, select.dataset.follows);
  const organisation = select.form && select.form.elements.namedItem(name);
  if (!organisation) return;
  const follow = () => {
    const chosen = organisation.value;
    select.querySelectorAll("option[data-organisation]").forEach((option) => {
      const shown = !chosen || option.dataset.organisation === chosen;
      option.hidden = !shown;
      option.disabled = !shown;
      if (!shown && option.selected) select.value = "";
    });
    select.querySelectorAll("optgroup").forEach((group) => {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  };
  organisation.addEventListener("change", follow);
  follow();
});
