// Suggestions for the text inputs that carry data-suggest-url (the "Partenaire" filters):
// as the user types, the matching names fill the input's <datalist>. Without JavaScript the
// input is a plain text filter.
document.querySelectorAll("input[data-suggest-url]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  let timer;
  let latest = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      const asked = ++latest;
      const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(text)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || asked !== latest) return;
      const { results } = await response.json();
      list.replaceChildren(
        ...results.map(({ name, short_name }) => new Option(short_name, name)),
      );
    }, 200);
  });
});
