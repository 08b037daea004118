# Chapter 10: the class colours of the decision-boundary figures, loaded by ch10_boundary.gp and
# ch10_hidden.gp. Regions: light tints, class k at cb = k (up to 10 classes); points: the strong
# colour of linetype k + 1 (plots/style.gp).
set palette defined (0 "#c6dbef", 1 "#f9c9c9", 2 "#c7e9c0", 3 "#dadaeb", 4 "#fdd9b5", \
                     5 "#e0cfc8", 6 "#fbe0f0", 7 "#e0e0e0", 8 "#f0f0b0", 9 "#c0f0f0")
set palette maxcolors 10
set cbrange [-0.5:9.5]
unset colorbox
