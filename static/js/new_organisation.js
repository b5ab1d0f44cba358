// The new convention's page: an organisation missing from the lists is created in place
// (partners:create_inline), added to every organisation list and chosen in the first party
// still without one; what was typed in the convention's form stays. Without JavaScript the
// small form posts and the organisation's page opens instead.
const form = document.getElementById("new-organisation");
if (form) {
  const error = document.getElementById("new-organisation-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
    });
    const data = await response.json();
    if (!response.ok) {
      error.textContent = Object.values(data.errors || {}).flat().join(" ");
      error.classList.remove("fr-hidden");
      return;
    }
    error.classList.add("fr-hidden");
    const selects = document.querySelectorAll("select[name$='organisation']");
    selects.forEach((select) => select.add(new Option(data.label, data.pk)));
    const empty = [...selects].find((select) => !select.value);
    if (empty) {
      empty.value = String(data.pk);
      empty.dispatchEvent(new Event("change"));
    }
    form.reset();
    form.closest("details").open = false;
  });
}
