// Small helpers the Blazor components call through JS interop.
window.goalsDashboard = {
    isDarkMode() {
        return localStorage.getItem("gd-theme") === "dark";
    },
    setDarkMode(dark) {
        localStorage.setItem("gd-theme", dark ? "dark" : "light");
        // Charts draw their labels in colours of their own: repaint them in the new theme.
        window.goalsDashboard.rethemeCharts?.(dark);
    },
    submitForm(id) {
        document.getElementById(id)?.submit();
    },
    copyText(text) {
        return navigator.clipboard.writeText(text);
    },
};

// Escape closes an open menu (the export menu and the like) as it closes lists and dialogs: MudBlazor's menu handles
// the key only when it was opened from the keyboard. Its overlay closes it when clicked; focus goes back to its button.
document.addEventListener("keydown", event => {
    if (event.key !== "Escape" || !document.querySelector(".mud-popover-open .mud-menu-item")) {
        return;
    }
    const overlay = [...document.querySelectorAll(".mud-overlay")].find(o => !o.closest(".mud-dialog-container"));
    if (overlay) {
        const activator = document.querySelector("[aria-expanded='true']");
        overlay.click();
        activator?.focus();
    }
});
